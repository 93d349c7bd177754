import hmac

secret_key=b'linhaifeng bang bang bang'

def conn_auth(conn):
    '''
    验证客户端到服务器的链接
    :param conn:
    :return:
    '''
    msg=conn.recv(32)
    # 'md5' is the one change Python 3 forces: since 3.8 hmac.new needs a digestmod, and MD5 was its old default.
    h=hmac.new(secret_key,msg,'md5')
    digest=h.digest()
    conn.sendall(digest)

